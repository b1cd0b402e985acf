import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { BusinessError, ErrorCode } from '../shared/errors';

registerEnumType(ErrorCode, { name: 'UserErrorCode', description: 'Stable codes of expected failures.' });

// A value type: other subgraphs may define it too (federation @shareable).
@Directive('@shareable')
@ObjectType({ description: 'An expected failure of a mutation: nothing was changed.' })
export class UserError {
  @Field(() => ErrorCode) code: ErrorCode;
  @Field() message: string;
  @Field(() => [String], { nullable: true, description: 'Path to the input field at fault.' }) field?: string[];
}

export function toUserError(e: BusinessError): UserError {
  return Object.assign(new UserError(), { code: e.code, message: e.message, field: e.field });
}
