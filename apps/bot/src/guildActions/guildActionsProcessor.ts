import { randomBytes } from 'node:crypto';
import { GUILD_ACTION_MAX_AGE_MS, guildActionJobSchema, type GuildActionResult } from '@kickcord/queue';
import type { Job } from 'bullmq';
import type { ChatInputCommandInteraction, ButtonInteraction, StringSelectMenuInteraction } from 'discord.js';
import type { z } from 'zod';
import type { BotContext } from '../context.ts';
import { UserFacingError } from '../UserFacingError.ts';
import type { GuildAction, GuildActionOutcome } from './GuildAction.ts';

/** The first problem zod found, as one sentence naming the field. */
export function describeInputProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The input was not valid.';
  const field = issue.path.map(String).join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}

/**
 * Runs an action with input that is checked against its schema first: a slash command and a dashboard form both
 * come through here. A refusal is a {@link UserFacingError}.
 */
export async function runGuildAction<S extends z.ZodType>(ctx: BotContext, action: GuildAction<S>, call: Parameters<GuildAction<S>['run']>[1], input: z.input<S>): Promise<GuildActionOutcome> {
  const parsed = action.input.safeParse(input);
  if (!parsed.success) throw new UserFacingError(describeInputProblem(parsed.error));
  return action.run(ctx, call, parsed.data as z.output<S>);
}

/** The call of an action made from a Discord interaction in a guild. */
export function interactionCall(interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'> | StringSelectMenuInteraction<'cached'>): Parameters<GuildAction['run']>[1] {
  return { guildId: interaction.guildId, actor: { id: interaction.user.id, name: interaction.user.username }, source: 'discord', requestId: interaction.id };
}

/**
 * The `guild-actions` queue's processor: finds the action, checks the input, runs it, and answers a refusal as a
 * result (never as a failed job) so the dashboard shows the same text a slash command would. A job that waited
 * longer than {@link GUILD_ACTION_MAX_AGE_MS} is refused unrun.
 */
export function createGuildActionsProcessor(actions: readonly GuildAction[], ctx: BotContext): (job: Job) => Promise<GuildActionResult> {
  const byName = new Map<string, GuildAction>();
  for (const action of actions) {
    if (byName.has(action.name)) throw new Error(`two guild actions are named ${action.name}`);
    byName.set(action.name, action);
  }
  return async (job) => {
    const parsed = guildActionJobSchema.safeParse(job.data);
    if (!parsed.success) return { ok: false, error: `The request was not valid: ${describeInputProblem(parsed.error)}` };
    const data = parsed.data;
    const action = byName.get(data.action);
    if (!action) return { ok: false, error: `kickcord has no change called "${data.action}". Reload the page: the bot may be a different version.` };
    if (ctx.now().getTime() - job.timestamp > GUILD_ACTION_MAX_AGE_MS) return { ok: false, error: 'The bot was too busy to make this change in time, so it was not made. Try again.' };
    try {
      const outcome = await runGuildAction(ctx, action, { guildId: data.guildId, actor: data.actor, source: 'dashboard', requestId: String(job.id) }, data.input);
      return { ok: true, message: outcome.message, ...(outcome.data !== undefined ? { data: outcome.data } : {}) };
    } catch (error) {
      if (error instanceof UserFacingError) return { ok: false, error: error.message };
      const reference = randomBytes(4).toString('hex');
      ctx.logger.error({ err: error, action: data.action, guildId: data.guildId, reference }, 'guild action failed');
      return { ok: false, error: `Something went wrong on our side (reference ${reference}). Please try again; if it keeps failing, give the reference to the bot's operator.`, reference };
    }
  };
}
