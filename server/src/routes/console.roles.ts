// Role sets of console routes (the unit kinds that may call them), in one place.
import type { ConsoleRoleName } from '../http/openapi';

export { ID_TYPES, LEGAL_PERSON_TYPES } from '@bamin/common';
export const CONSOLE_ROLES_ALL: ConsoleRoleName[] = ['health_department', 'government', 'enterprise'];
export const UNIT_ROLES: ConsoleRoleName[] = ['government', 'enterprise'];
export const HEALTH_DEPARTMENT: ConsoleRoleName[] = ['health_department'];
export const ENTERPRISE: ConsoleRoleName[] = ['enterprise'];
