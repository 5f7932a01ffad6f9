/**
 * Every migration, in order. A migration is never edited once released: a change is a new file.
 * They are TypeScript modules holding SQL so the build ships them without a copy step.
 */
import { sql as policyEntities } from './001-policy-entities.js';
import { sql as findingDecisions } from './002-finding-decisions.js';
import { sql as approvalVerdicts } from './003-approval-verdicts.js';
import { sql as findingOrder } from './004-finding-order.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'policy-entities', sql: policyEntities },
  { version: 2, name: 'finding-decisions', sql: findingDecisions },
  { version: 3, name: 'approval-verdicts', sql: approvalVerdicts },
  { version: 4, name: 'finding-order', sql: findingOrder },
];
