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
