/**
 * The role ids and names are the contract's (src/core/contract/roles.ts). This module only keeps
 * the old import path working for src/server/http/* until its Fastify rewrite imports them from
 * the contract; delete it then.
 */
export {
  CHANGE_ROLE_NAMES,
  CHANGE_ROLES,
  READ_ROLE_NAMES,
  READ_ROLES,
  REQUIRED_ROLES_TEXT,
  ROLE,
  hasAnyRole,
  roleNames,
} from "../../core/contract/roles";
