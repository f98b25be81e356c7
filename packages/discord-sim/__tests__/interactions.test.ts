import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  type ApplicationCommandDataResolvable,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordSimError } from '../src/index.ts';
import { nextEvent, startHarness, type Harness } from './clientHarness.ts';

const GUILD = '810000000000000001';
const GENERAL = '810000000000000002';
const ANNOUNCE = '810000000000000003';
const LIVE_ROLE = '810000000000000004';
const ALICE = '810000000000000005';
const MOD = '810000000000000006';

const commands: ApplicationCommandDataResolvable[] = [
  {
    name: 'announce',
    description: 'Go-live announcements',
    defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
    options: [
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: 'set',
        description: 'Configure',
        options: [
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: 'live',
            description: 'Live announcement',
            options: [
              { type: ApplicationCommandOptionType.Channel, name: 'channel', description: 'Where', required: true, channelTypes: [ChannelType.GuildText] },
              { type: ApplicationCommandOptionType.Role, name: 'role', description: 'Ping', required: true },
              { type: ApplicationCommandOptionType.String, name: 'template', description: 'Text' },
            ],
          },
        ],
      },
    ],
  },
  {
    name: 'points',
    description: 'Points',
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'give',
        description: 'Give points',
        options: [
          { type: ApplicationCommandOptionType.User, name: 'user', description: 'Who', required: true },
          { type: ApplicationCommandOptionType.Integer, name: 'amount', description: 'How many', required: true, minValue: 1 },
          { type: ApplicationCommandOptionType.Boolean, name: 'silent', description: 'Quietly' },
          { type: ApplicationCommandOptionType.Number, name: 'multiplier', description: 'x' },
        ],
      },
    ],
  },
  {
    name: 'import',
    description: 'Import a file',
    options: [
      { type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'CSV', required: true },
      { type: ApplicationCommandOptionType.String, name: 'mode', description: 'How', choices: [{ name: 'Merge', value: 'merge' }, { name: 'Replace', value: 'replace' }] },
    ],
  },
  {
    name: 'game',
    description: 'Pick a game',
    options: [{ type: ApplicationCommandOptionType.String, name: 'name', description: 'Game', required: true, autocomplete: true }],
  },
  { name: 'panel', description: 'Show a panel' },
];

describe('interactions with a real discord.js client', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness((sim) =>
      sim.addGuild({
        id: GUILD,
        name: 'Streamers',
        channels: [{ id: GENERAL, name: 'general' }, { id: ANNOUNCE, name: 'announcements' }],
        roles: [{ id: LIVE_ROLE, name: 'Live' }, { name: 'Mods', permissions: PermissionFlagsBits.ManageGuild.toString() }],
        members: [{ id: MOD, username: 'mod', roles: ['Mods'] }, { id: ALICE, username: 'alice' }],
        ownerId: '810000000000000099',
      }),
    );
    await h.client.application?.commands.set(commands.slice(0, 2));
    await h.client.guilds.cache.get(GUILD)?.commands.set(commands.slice(2));
  });
  afterAll(async () => {
    expect(h.uncaught).toEqual([]);
    await h.stop();
  });

  function nextInteraction<T extends Interaction>(): Promise<T> {
    return nextEvent<T>(h.client, 'interactionCreate');
  }

  it('records registered global and guild commands with ids', () => {
    expect(h.sim.registeredCommands().map((c) => c.name)).toEqual(['announce', 'points']);
    expect(h.sim.registeredCommands(GUILD).map((c) => c.name)).toEqual(['import', 'game', 'panel']);
    expect(h.sim.registeredCommands()[0]?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(h.client.application?.commands.cache.size).toBe(2);
  });

  it('subcommand group with channel, role and quoted string options; ephemeral reply', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>();
    const rec = await h.sim.invoke(GUILD, MOD, '/announce set live #announcements @Live "Live: {title} now!"');
    const i = await got;
    expect(i.isChatInputCommand()).toBe(true);
    expect(i.commandName).toBe('announce');
    expect(i.options.getSubcommandGroup()).toBe('set');
    expect(i.options.getSubcommand()).toBe('live');
    expect(i.options.getChannel('channel', true).id).toBe(ANNOUNCE);
    expect(i.options.getChannel('channel', true).name).toBe('announcements');
    expect(i.options.getRole('role', true).id).toBe(LIVE_ROLE);
    expect(i.options.getString('template')).toBe('Live: {title} now!');
    expect(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(true);
    expect(i.user.username).toBe('mod');
    expect(i.guildId).toBe(GUILD);
    await i.reply({ content: 'Saved', flags: MessageFlags.Ephemeral });
    const r = await h.sim.waitForInteractionResponse(rec);
    expect(r).toMatchObject({ kind: 'callback', type: 4, ephemeral: true, data: { content: 'Saved' } });
    expect(rec.options).toEqual({ channel: ANNOUNCE, role: LIVE_ROLE, template: 'Live: {title} now!' });
    expect(rec.subcommandGroup).toBe('set');
    // ephemeral replies are not visible channel messages
    expect(h.sim.messages(GENERAL).some((m) => m.content === 'Saved')).toBe(false);
  });

  it('refuses a command the member lacks default_member_permissions for, unless permissions are given', async () => {
    await expect(h.sim.invoke(GUILD, ALICE, '/announce set live #general @Live')).rejects.toThrow(DiscordSimError);
    const got = nextInteraction<ChatInputCommandInteraction>();
    await h.sim.invoke(GUILD, ALICE, '/announce set live <#810000000000000002> <@&810000000000000004>', { permissions: PermissionFlagsBits.ManageGuild });
    const i = await got;
    expect(i.options.getChannel('channel', true).id).toBe(GENERAL);
    expect(i.options.getString('template')).toBeNull();
    await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
  });

  it('user, integer, boolean and number options by name; deferReply + editReply + followUp', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>();
    const rec = await h.sim.invoke(GUILD, MOD, '/points give user:<@810000000000000005> amount:50 silent:false multiplier:1.5');
    const i = await got;
    expect(i.options.getUser('user', true).username).toBe('alice');
    expect(i.options.getMember('user')).toBeTruthy();
    expect(i.options.getInteger('amount')).toBe(50);
    expect(i.options.getBoolean('silent')).toBe(false);
    expect(i.options.getNumber('multiplier')).toBe(1.5);
    await i.deferReply();
    const edited = await i.editReply('Gave 50 points to alice');
    const extra = await i.followUp({ content: 'Only you see this', flags: MessageFlags.Ephemeral });
    expect(rec.responses.map((r) => [r.kind, r.type, r.ephemeral])).toEqual([
      ['callback', 5, false],
      ['edit', undefined, false],
      ['followup', undefined, true],
    ]);
    const visible = await h.sim.waitForMessage(GENERAL, (m) => m.interactionId === rec.id);
    expect(visible.id).toBe(edited.id);
    expect(visible.content).toBe('Gave 50 points to alice');
    expect(visible.editedAt).not.toBeNull();
    expect(extra.id).not.toBe(edited.id);
    const fetched = await i.fetchReply();
    expect(fetched.content).toBe('Gave 50 points to alice');
  });

  it('positional user by @username and invalid values throw descriptive errors', async () => {
    await expect(h.sim.invoke(GUILD, MOD, '/points give @alice lots')).rejects.toThrow(/amount: not an integer/);
    await expect(h.sim.invoke(GUILD, MOD, '/points give @nobody 5')).rejects.toThrow(/unknown user/);
    await expect(h.sim.invoke(GUILD, MOD, '/points take @alice 5')).rejects.toThrow(/needs one of: give/);
    await expect(h.sim.invoke(GUILD, MOD, '/nope')).rejects.toThrow(/No slash command \/nope/);
    await expect(h.sim.invoke(GUILD, MOD, '/points give @alice')).rejects.toThrow(/missing required option\(s\) amount/);
    const got = nextInteraction<ChatInputCommandInteraction>();
    await h.sim.invoke(GUILD, MOD, '/points give @alice 7');
    const i = await got;
    expect(i.options.getUser('user')?.id).toBe(ALICE);
    expect(i.options.getInteger('amount')).toBe(7);
    await i.reply('done');
  });

  it('attachment option is served by the sim and a reply can upload a file', async () => {
    const att = h.sim.addAttachment({ filename: 'points.csv', contentType: 'text/csv', content: 'user,points\nalice,5\n' });
    const got = nextInteraction<ChatInputCommandInteraction>();
    const rec = await h.sim.invoke(GUILD, MOD, `/import ${att.id} mode:Replace`);
    const i = await got;
    const file = i.options.getAttachment('file', true);
    expect(file.name).toBe('points.csv');
    expect(file.contentType).toBe('text/csv');
    expect(await (await fetch(file.url)).text()).toBe('user,points\nalice,5\n');
    expect(i.options.getString('mode')).toBe('replace');
    await i.reply({ content: 'Imported', files: [{ attachment: Buffer.from('report'), name: 'report.txt' }] });
    const r = await h.sim.waitForInteractionResponse(rec);
    expect(r.files?.[0]?.filename).toBe('report.txt');
    expect(r.files?.[0]?.content.toString()).toBe('report');
    const msg = await h.sim.waitForMessage(GENERAL, (m) => m.interactionId === rec.id);
    expect(msg.attachments[0]?.filename).toBe('report.txt');
  });

  it('autocomplete sends the focused value and records the choices', async () => {
    const got = nextInteraction<Interaction>();
    const rec = await h.sim.invoke(GUILD, MOD, '/game Mine', { type: 'autocomplete' });
    const i = await got;
    if (!i.isAutocomplete()) throw new Error('expected autocomplete');
    expect(i.options.getFocused()).toBe('Mine');
    await i.respond([{ name: 'Minecraft', value: 'minecraft' }]);
    const r = await h.sim.waitForInteractionResponse(rec);
    expect(r).toMatchObject({ kind: 'callback', type: 8, data: { choices: [{ name: 'Minecraft', value: 'minecraft' }] } });
  });

  it('a button click arrives as a component interaction and update() edits the message', async () => {
    const channel = h.client.channels.cache.get(GENERAL) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('claim:1').setLabel('Claim').setStyle(ButtonStyle.Primary));
    const sent = await channel.send({ content: 'Drop!', components: [row] });
    const simMsg = await h.sim.waitForMessage(GENERAL, (m) => m.id === sent.id);
    const got = nextInteraction<ButtonInteraction>();
    const rec = await h.sim.clickButton(simMsg, 'claim:1', ALICE);
    const i = await got;
    expect(i.isButton()).toBe(true);
    expect(i.customId).toBe('claim:1');
    expect(i.message.id).toBe(sent.id);
    expect(i.user.id).toBe(ALICE);
    await i.update({ content: 'Claimed by alice', components: [] });
    await h.sim.waitForInteractionResponse(rec, (r) => r.type === 7);
    expect(simMsg.content).toBe('Claimed by alice');
    expect(simMsg.components).toEqual([]);
  });

  it('answering twice is rejected with 40060 and an unknown interaction with 10062', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>();
    const rec = await h.sim.invoke(GUILD, MOD, '/panel');
    const i = await got;
    await i.reply('one');
    const again = await h.client.rest
      .post(`/interactions/${rec.id}/${rec.token}/callback`, { body: { type: 4, data: { content: 'two' } }, auth: false })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 40060, status: 400 });
    const unknown = await h.client.rest.post(`/interactions/1/abc/callback`, { body: { type: 4, data: { content: 'x' } }, auth: false }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 10062, status: 404 });
  });
});
