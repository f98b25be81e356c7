import type { KickEventType, kickEventSchemas, kickKnownUserSchema, kickUserSchema } from '@kickcord/kick';
import type { z } from 'zod';
import type { SimEventType } from './constants.ts';
import type { KickKnownUserObject, KickUserObject } from './types.ts';

/** Webhook bodies as they travel on the wire (the input side of @kickcord/kick's schemas). */
export type WirePayloadMap = { [T in KickEventType]: z.input<(typeof kickEventSchemas)[T]> };

/** The wire payload of one event type. */
export type WirePayload<T extends KickEventType> = WirePayloadMap[T];

/** A wire payload minus `broadcaster` (helpers let `emit` fill it from sim state). */
export type WirePayloadBody<T extends KickEventType> = Omit<WirePayload<T>, 'broadcaster'>;

// Compile-time guard: the simulator knows exactly Kick's event types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEventTypes: Same<SimEventType, KickEventType> = true;
void sameEventTypes;

type KickUserInput = z.input<typeof kickUserSchema>;
type KickKnownUserInput = z.input<typeof kickKnownUserSchema>;
const userIsWire: KickUserInput = {} as KickUserObject;
const knownUserIsWire: KickKnownUserInput = {} as KickKnownUserObject;
void userIsWire;
void knownUserIsWire;
