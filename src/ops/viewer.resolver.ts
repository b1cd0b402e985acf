import { Authorized, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { GqlContext } from '../graphql/context';
import { hasPermission, Permission } from '../shared/permissions';

@ObjectType({ description: 'Who the credential of this request is, and what it may do.' })
class Viewer {
  @Field({ description: 'The JWT subject or the API key owner.' }) subject: string;
  @Field({ description: 'SUPPORT, ANALYST, FINANCE or ADMIN.' }) role: string;
  @Field(() => [String], { description: 'The permissions the role grants (READ_REPORTS, DECIDE_FINANCE, ISSUE_REFUNDS, …).' }) permissions: string[];
}

@Resolver()
export class ViewerResolver {
  @Authorized()
  @Query(() => Viewer, { description: 'The caller: subject, role and permissions (what a page may offer them).' })
  viewer(@Ctx() { ctx }: GqlContext): Viewer {
    const { subject, role } = ctx.actor;
    return { subject, role, permissions: Object.values(Permission).filter((p) => hasPermission(role, p)) };
  }
}
