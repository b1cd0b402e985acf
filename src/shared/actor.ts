export enum Role {
  SUPPORT = 'SUPPORT',
  ANALYST = 'ANALYST',
  FINANCE = 'FINANCE',
  ADMIN = 'ADMIN',
  /** Background workers and webhook processing act as the system. */
  SYSTEM = 'SYSTEM',
}

export interface Actor {
  readonly subject: string;
  readonly role: Role;
  readonly kind: 'user' | 'service' | 'system' | 'anonymous';
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ subject: 'moneygraph', role: Role.SYSTEM, kind: 'system' });

/** A request without credentials: allowed nowhere but the health endpoints. */
export const ANONYMOUS_ACTOR: Actor = Object.freeze({ subject: 'anonymous', role: Role.SUPPORT, kind: 'anonymous' });
