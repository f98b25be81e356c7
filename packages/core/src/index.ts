/**
 * @kickcord/core — pure domain rules (no I/O). Time and randomness are always passed in.
 * This index lists what the apps use; the package's own tests import the rest by path.
 */

// Errors: every input core refuses is a CoreInputError with a message fit for a moderator
export { CoreInputError } from './CoreInputError.ts';

// Chat: user levels, command parsing, cooldowns
export { USER_LEVELS, isUserLevel, meetsLevel, userLevelFromBadges, isSubscriberFromBadges } from './userLevel.ts';
export type { UserLevel } from './userLevel.ts';
export { parseCommand, targetUsername, validateCommandName, validatePrefix } from './commandParser.ts';
export type { ParsedCommand } from './commandParser.ts';
export {
  BUILTIN_CHAT_COMMANDS,
  BUILTIN_USER_COOLDOWN_SEC,
  builtinAnsweringTo,
  builtinCommandName,
  builtinCommandUses,
  isBuiltinChatCommandName,
  parseBuiltinCommandSettings,
  resolveBuiltinCommands,
} from './builtinChatCommands.ts';
export type { BuiltinChatCommandName, BuiltinCommandSetting, BuiltinCommandSettings, BuiltinCommandUse, BuiltinUseOptions, ResolvedBuiltinCommand } from './builtinChatCommands.ts';
export { checkCooldown } from './cooldowns.ts';
export type { CooldownDecision } from './cooldowns.ts';
export { fitChatMessage } from './fitChatMessage.ts';

// Templates (custom commands, timers, announcements)
export { CHAT_COMMAND_VARIABLES, TIMER_VARIABLES, ANNOUNCEMENT_EVENTS, ANNOUNCEMENT_LABELS, ANNOUNCEMENT_VARIABLES_BY_EVENT, DEFAULT_ANNOUNCEMENT_TEMPLATES } from './templates/variables.ts';
export { MAX_TEMPLATE_LENGTH, compileTemplate } from './templates/compileTemplate.ts';
export type { CompiledTemplate } from './templates/compileTemplate.ts';
export { renderTemplate } from './templates/renderTemplate.ts';
export type { TemplateValues } from './templates/renderTemplate.ts';
export { buildChatCommandValues } from './templates/chatCommandValues.ts';

// Watchtime and loyalty points
export { MAX_INT32, validateLoyaltySettings } from './watchtime/loyaltySettings.ts';
export type { LoyaltySettings } from './watchtime/loyaltySettings.ts';
export { KNOWN_BOT_USERNAMES, isExcludedViewer, tickMinute, minutesToCatchUp } from './watchtime/activeMinutes.ts';
export { PAYOUT_MINUTES_CHOICES, payoutBlockStart, payoutPhase, payableThrough } from './watchtime/payoutBlocks.ts';
export { adminKey, eventKey } from './ledgerKeys.ts';
export { bonusForEvent, validateEventBonusSettings } from './eventBonuses.ts';
export type { EventBonusSettings, BonusUser, BonusEvent } from './eventBonuses.ts';
export { parsePointsCsv, toPointsCsv, importFingerprint, importKey, neutraliseCsvCell, defaultImportMode } from './pointsImport.ts';
export type { PointsCsvFormat, PointsImportMode } from './pointsImport.ts';
export type { CsvLineError } from './csvRecords.ts';

// Leaderboards and durations
export { competitionRanks, formatDuration, formatPointsAmount, formatUptime, paginate, streamDurationMinutes } from './leaderboard.ts';
export type { Page } from './leaderboard.ts';

// Community games: raffles, guess the balance, slot calls, timers
export { ticketsForEntry, giftedSubTickets, validateRaffleOptions, drawWinners } from './raffle.ts';
export { AMOUNT_EXAMPLES, parseAmount, formatCents, centsToDecimalString, decimalStringToCents, closestGuesses } from './guessTheBalance.ts';
export { normalizeSlotName, groupCalls, slotCallViewerKey } from './slotCalls.ts';
export type { SlotCallGroup } from './slotCalls.ts';
export { TIMER_LIMITS, timerIsDue, validateTimer } from './timers.ts';

// Chat filters: rules documents, the compiled engine, links and text folding
export {
  CHAT_FILTER_KINDS,
  CHAT_FILTER_DESCRIPTIONS,
  EXEMPT_LEVELS,
  TIMEOUT_MINUTES,
  chatFilterConfigSchema,
  defaultChatFilterConfig,
  formatLadder,
  isChatFilterKind,
  normalizeDomain,
  parseChatFilterConfig,
  parseLadder,
  stepForOffence,
} from './chatFilters/filterConfig.ts';
export type { ChatFilterConfig, ChatFilterKind, FilterActionKind, FilterRule, FilterStep } from './chatFilters/filterConfig.ts';
export { BANNED_TERM_LIMITS, compileChatFilters, messageExcerpt, prepareBannedTerm } from './chatFilters/compileChatFilters.ts';
export type { BannedTerm, BannedTermMode, ChatFilterHit, ChatFilterMessage, CompiledChatFilters } from './chatFilters/compileChatFilters.ts';
export { defangLinks, findLinkHosts } from './chatFilters/findLinks.ts';
