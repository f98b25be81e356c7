/**
 * @kickcord/core — pure domain rules (no I/O). Time and randomness are always passed in.
 */
export { CoreInputError } from './CoreInputError.ts';

export { USER_LEVELS, isUserLevel, userLevelRank, userLevelFromBadges, meetsLevel, isSubscriberFromBadges } from './userLevel.ts';
export type { UserLevel, ChatBadge } from './userLevel.ts';

export {
  DEFAULT_COMMAND_PREFIX,
  BUILTIN_COMMANDS,
  MAX_COMMAND_NAME_LENGTH,
  COMMAND_NAME_PATTERN,
  parseCommand,
  replaceEmotesWithNames,
  removeEmotes,
  targetUsername,
  isBuiltinCommand,
  validateCommandName,
  validatePrefix,
} from './commandParser.ts';
export type { BuiltinCommand, ParsedCommand, CommandNameResult, PrefixResult } from './commandParser.ts';

export {
  CHAT_COMMAND_VARIABLES,
  ANNOUNCEMENT_EVENTS,
  ANNOUNCEMENT_VARIABLES,
  ANNOUNCEMENT_VARIABLES_BY_EVENT,
  DEFAULT_ANNOUNCEMENT_TEMPLATES,
  MAX_TEMPLATE_LENGTH,
  KICK_CHAT_MAX_LENGTH,
  compileTemplate,
  renderTemplate,
  buildChatCommandValues,
  fitChatMessage,
} from './templates.ts';
export type {
  AnnouncementEvent,
  TemplatePart,
  CompiledTemplate,
  TemplateError,
  CompileTemplateResult,
  CompileTemplateOptions,
  TemplateValues,
  ChatCommandContext,
} from './templates.ts';

export { formatDuration, formatUptime, paginate } from './leaderboard.ts';
export type { Page } from './leaderboard.ts';
