import { AuthChecker } from 'type-graphql';
import { hasPermission, Permission } from '../shared/permissions';
import { GqlContext } from './context';
import { forbidden, unauthenticated } from './errors';

/** `@Authorized(Permission.X)`: the actor's role must grant every permission listed. */
export const authChecker: AuthChecker<GqlContext, Permission> = ({ context }, permissions) => {
  const actor = context.ctx.actor;
  if (!actor || actor.kind === 'anonymous') throw unauthenticated();
  if (permissions.every((p) => hasPermission(actor.role, p))) return true;
  throw forbidden(`Role ${actor.role} lacks ${permissions.filter((p) => !hasPermission(actor.role, p)).join(', ')}`);
};
