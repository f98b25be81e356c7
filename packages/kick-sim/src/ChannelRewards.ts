/**
 * Kick Channel Rewards in the simulator: each channel's rewards (created by an app through the API, or by the
 * streamer on kick.com), viewers' redemptions, and the accept/reject decisions — every redemption and every
 * decision delivered as `channel.reward.redemption.updated`, as Kick does.
 */
import { ulid } from 'ulid';
import {
  REDEMPTION_NOT_FOUND,
  REDEMPTION_NOT_OWNED,
  REDEMPTION_NOT_PENDING,
  REWARD_DEFAULT_BACKGROUND_COLOR,
  REWARD_DESCRIPTION_MAX,
  REWARD_TITLE_MAX,
} from './constants.ts';
import { KickSimError } from './KickSimError.ts';
import { kickUser, rfc3339 } from './payloads.ts';
import type { SimState } from './SimState.ts';
import type { DeliveryRecord, EmitOptions, RewardChanges, RewardFields, SimRedemption, SimRedemptionStatus, SimReward } from './types.ts';

/** Emit options plus `at`, the event time inside the payload (the same as kickSim's HelperOptions). */
type RedeemOptions = EmitOptions & { at?: Date };

/** Delivers one `channel.reward.redemption.updated` to its channel's subscriptions (EventDelivery's `emit`). */
export type RedemptionEmitter = (payload: WirePayloadBody<'channel.reward.redemption.updated'>, options: RedeemOptions & { broadcasterUserId: number }) => Promise<DeliveryRecord[]>;
import type { WirePayloadBody } from './wireTypes.ts';

/** A reward request Kick refuses (the message is Kick's 400 reason). */
export class RewardValidationError extends Error {
  override readonly name = 'RewardValidationError';
}

const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;

/** Kick's checks on a reward's fields (⚠ the limits as Kick's clients document them: title ≤ 50, description ≤ 200, cost ≥ 1). */
function validate(fields: RewardFields): void {
  const title = fields.title.trim();
  if (title.length === 0) throw new RewardValidationError('title is required');
  if ([...fields.title].length > REWARD_TITLE_MAX) throw new RewardValidationError(`title must be at most ${REWARD_TITLE_MAX} characters`);
  if ([...fields.description].length > REWARD_DESCRIPTION_MAX) throw new RewardValidationError(`description must be at most ${REWARD_DESCRIPTION_MAX} characters`);
  if (!Number.isSafeInteger(fields.cost) || fields.cost < 1) throw new RewardValidationError('cost must be a whole number of at least 1');
  if (!COLOR_PATTERN.test(fields.backgroundColor)) throw new RewardValidationError('background_color must be a hex colour such as #00e701');
}

/** Rewards and redemptions of every channel; the webhook side effects go through `events`. */
export class ChannelRewards {
  readonly rewards = new Map<string, SimReward>();
  readonly redemptions = new Map<string, SimRedemption>();

  constructor(
    private readonly state: SimState,
    private readonly emit: RedemptionEmitter,
  ) {}

  /** A channel's rewards, oldest first. */
  list(broadcasterUserId: number): SimReward[] {
    return [...this.rewards.values()].filter((r) => r.broadcasterUserId === broadcasterUserId);
  }

  /** Creates a reward (defaults as Kick's: enabled, not paused, no input, through the request queue). */
  create(broadcasterUserId: number, clientId: string | null, input: RewardChanges & { title: string; cost: number }): SimReward {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    const fields: RewardFields = {
      title: input.title,
      cost: input.cost,
      description: input.description ?? '',
      backgroundColor: input.backgroundColor ?? REWARD_DEFAULT_BACKGROUND_COLOR,
      isEnabled: input.isEnabled ?? true,
      isPaused: input.isPaused ?? false,
      isUserInputRequired: input.isUserInputRequired ?? false,
      shouldRedemptionsSkipRequestQueue: input.shouldRedemptionsSkipRequestQueue ?? false,
    };
    validate(fields);
    const reward: SimReward = { id: ulid(), broadcasterUserId, clientId, ...fields };
    this.rewards.set(reward.id, reward);
    return reward;
  }

  /** The channel's reward `id`, or undefined (another channel's reward is not found either). */
  find(broadcasterUserId: number, id: string): SimReward | undefined {
    const reward = this.rewards.get(id);
    return reward?.broadcasterUserId === broadcasterUserId ? reward : undefined;
  }

  /** Changes the given fields of a reward, validating the result; nothing changes when it is refused. */
  update(reward: SimReward, changes: RewardChanges): SimReward {
    const next: SimReward = { ...reward, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    validate(next);
    Object.assign(reward, next);
    return reward;
  }

  delete(reward: SimReward): void {
    this.rewards.delete(reward.id);
  }

  /**
   * A viewer redeems a reward (as on kick.com): refused while the reward is disabled or paused, or without the
   * input it requires. A reward that skips the request queue is accepted at once; otherwise the redemption waits
   * as `pending`. Either way Kick delivers `channel.reward.redemption.updated`.
   */
  async redeem(broadcasterUserId: number, redeemerUserId: number, rewardId: string, options: RedeemOptions & { userInput?: string } = {}): Promise<{ redemption: SimRedemption; deliveries: DeliveryRecord[] }> {
    this.state.requireUser(redeemerUserId, 'redeemer');
    const reward = this.find(broadcasterUserId, rewardId);
    if (!reward) throw new KickSimError(`Channel ${broadcasterUserId} has no reward ${rewardId}; create it with createChannelReward() or POST /public/v1/channels/rewards.`);
    if (!reward.isEnabled) throw new KickSimError(`Reward "${reward.title}" is disabled; viewers cannot redeem it.`);
    if (reward.isPaused) throw new KickSimError(`Reward "${reward.title}" is paused; viewers cannot redeem it.`);
    const userInput = options.userInput ?? '';
    if (reward.isUserInputRequired && userInput.trim() === '') throw new KickSimError(`Reward "${reward.title}" requires the viewer's input; pass userInput.`);
    const redemption: SimRedemption = {
      id: ulid(),
      broadcasterUserId,
      rewardId: reward.id,
      rewardClientId: reward.clientId,
      reward: { id: reward.id, title: reward.title, cost: reward.cost, description: reward.description },
      redeemerUserId,
      userInput,
      status: reward.shouldRedemptionsSkipRequestQueue ? 'accepted' : 'pending',
      redeemedAt: options.at ?? this.state.clock.now(),
    };
    this.redemptions.set(redemption.id, redemption);
    return { redemption, deliveries: await this.announce(redemption, options) };
  }

  /** A channel's redemptions, oldest first, optionally by status and reward. */
  listRedemptions(broadcasterUserId: number, filter: { status?: SimRedemptionStatus; rewardId?: string } = {}): SimRedemption[] {
    return [...this.redemptions.values()].filter(
      (r) => r.broadcasterUserId === broadcasterUserId && (filter.status === undefined || r.status === filter.status) && (filter.rewardId === undefined || r.rewardId === filter.rewardId),
    );
  }

  /**
   * Accepts or rejects redemptions of `broadcasterUserId`'s channel for app `clientId` (null: the streamer on
   * kick.com). Returns the ones that failed, each with Kick's reason; every decided one is announced.
   */
  decide(broadcasterUserId: number, clientId: string | null, ids: readonly string[], status: 'accepted' | 'rejected'): { failed: { id: string; reason: string }[]; decided: SimRedemption[] } {
    const failed: { id: string; reason: string }[] = [];
    const decided: SimRedemption[] = [];
    for (const id of ids) {
      const redemption = this.redemptions.get(id);
      if (!redemption || redemption.broadcasterUserId !== broadcasterUserId) failed.push({ id, reason: REDEMPTION_NOT_FOUND });
      else if (clientId !== null && redemption.rewardClientId !== clientId) failed.push({ id, reason: REDEMPTION_NOT_OWNED });
      else if (redemption.status !== 'pending') failed.push({ id, reason: REDEMPTION_NOT_PENDING });
      else {
        redemption.status = status;
        decided.push(redemption);
      }
    }
    return { failed, decided };
  }

  /** The `channel.reward.redemption.updated` payload of a redemption in its current status. */
  payload(redemption: SimRedemption): WirePayloadBody<'channel.reward.redemption.updated'> {
    return {
      id: redemption.id,
      user_input: redemption.userInput,
      status: redemption.status,
      redeemed_at: rfc3339(redemption.redeemedAt),
      reward: { ...redemption.reward },
      redeemer: kickUser(this.state.requireUser(redemption.redeemerUserId, 'redeemer')),
    };
  }

  /** Delivers the redemption's current status to every subscription of its channel. */
  announce(redemption: SimRedemption, options: RedeemOptions = {}): Promise<DeliveryRecord[]> {
    return this.emit(this.payload(redemption), { ...options, broadcasterUserId: redemption.broadcasterUserId });
  }
}
