// Moved to src/discord/memberRoles.ts (shared by every feature that gives roles); kept for imports not yet updated.
export { botUserId, changeMemberRole, diagnoseRoles, DiscordErrorCode, judgeRole, memberRoleIds, roleAbove } from '../../discord/memberRoles.ts';
export type { RoleChangeOutcome, RoleProblem } from '../../discord/memberRoles.ts';
