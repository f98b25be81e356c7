export { startKickSim } from './startKickSim.ts';
export { runStreamScenario } from './scenario.ts';
export { KickSimError } from './KickSimError.ts';
export { generateKickKeyPair, publicKeyFromPrivate, signWebhookBody, verifyWebhookSignature } from './signing.ts';
export { pkceChallenge } from './oauthRouter.ts';
export { loadOrCreateKeyFile, defaultKeyFilePath } from './keyfile.ts';
export { KICK_SCOPES, SIM_EVENT_TYPES, SIM_CATEGORIES } from './constants.ts';
export type { KickScope, SimEventType } from './constants.ts';
export type {
  BatchItem,
  DeliveryFilter,
  HelperOptions,
  KickSim,
  KickSimOptions,
  SendChatOptions,
  SentChat,
  SubscriptionFilter,
} from './kickSim.ts';
export type { ScenarioOptions, ScenarioSummary, ScenarioViewer, ScenarioMinute } from './scenario.ts';
export type {
  ApiCallRecord,
  ChatLogEntry,
  DeliveryAttempt,
  DeliveryRecord,
  EmitOptions,
  KickIdentityObject,
  KickKnownUserObject,
  KickUserObject,
  PayloadOverrides,
  RewardChanges,
  RewardFields,
  SimApp,
  SimBadge,
  SimCategory,
  SimChannel,
  SimClock,
  SimEventName,
  SimRedemption,
  SimRedemptionStatus,
  SimReward,
  SimSubscription,
  SimUser,
} from './types.ts';
