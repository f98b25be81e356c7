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

export { checkCooldown, cooldownKeys } from './cooldowns.ts';
export type { CooldownInput, CooldownDecision, CooldownKeys } from './cooldowns.ts';

export {
  DEFAULT_LOYALTY_SETTINGS,
  KNOWN_BOT_USERNAMES,
  MAX_INT32,
  MAX_EXCLUDED_USERNAMES,
  validateLoyaltySettings,
  isExcludedViewer,
  tickMinute,
  utcDay,
  isActiveInMinute,
  awardForMinute,
  minutesToCatchUp,
  PAYOUT_MINUTES_CHOICES,
  payoutBlockStart,
  payoutPhase,
  payableThrough,
  tickKey,
  eventKey,
  adminKey,
  followKey,
} from './watchtime.ts';
export type { LoyaltySettings, LoyaltySettingsResult, ExcludedViewerInput, AwardInput, MinuteAward, CatchUpInput } from './watchtime.ts';

export { DEFAULT_EVENT_BONUS_SETTINGS, MAX_EVENT_BONUS, bonusForEvent, validateEventBonusSettings } from './eventBonuses.ts';
export type { EventBonusSettings, BonusUser, BonusEvent, BonusAward } from './eventBonuses.ts';

export { MAX_TOTAL_TICKETS, ticketsForEntry, giftedSubTickets, validateRaffleOptions, drawWinners } from './raffle.ts';
export type { TicketEntry, RaffleOptionsResult } from './raffle.ts';

export { MAX_AMOUNT_CENTS, parseAmount, formatCents, centsToDecimalString, decimalStringToCents, closestGuesses, pickWinner } from './guessTheBalance.ts';
export type { ParseAmountResult, BalanceGuess } from './guessTheBalance.ts';

export { MAX_SLOT_NAME_LENGTH, normalizeSlotName, groupCalls, slotCallViewerKey } from './slotCalls.ts';
export type { SlotNameResult, SlotCallLike, SlotCallGroup } from './slotCalls.ts';

export { TIMER_LIMITS, timerIsDue, validateTimer } from './timers.ts';
export type { TimerDueInput, TimerValidation } from './timers.ts';

export {
  MAX_IMPORT_POINTS,
  MAX_IMPORT_ROWS,
  KICKCORD_CSV_HEADER,
  POINTS_CSV_FORMAT_NAMES,
  POINTS_CSV_COLUMNS,
  parseCsvRecords,
  parsePointsCsv,
  toPointsCsv,
  importFingerprint,
  importKey,
} from './pointsImport.ts';
export type {
  PointsCsvFormat,
  PointsImportRow,
  CsvLineError,
  ParsePointsCsvResult,
  CsvRecord,
  ParseCsvResult,
  PointsExportRow,
} from './pointsImport.ts';
