import { OVERLAY_SOUNDS, type OverlaySound } from '@kickcord/queue';

/**
 * The alert sounds the overlays play, synthesized here as small WAV files (16-bit PCM, mono, 22,050 Hz): no
 * sound file is shipped or fetched from anywhere else. Each sound is a few short tones with a soft attack
 * and an exponential decay, so it starts and stops without clicks.
 */

const SAMPLE_RATE = 22_050;

/** One tone: a frequency glide from `from` to `to` Hz, starting at `at` seconds. */
interface Tone {
  at: number;
  seconds: number;
  from: number;
  to?: number;
  /** Peak loudness, 0–1. */
  gain: number;
  /** Decay speed (higher = shorter ring). */
  decay: number;
  /** Adds a quieter octave above (a brighter, bell-like colour). */
  overtone?: number;
  /** A square-ish wave (coins) instead of a sine. */
  square?: boolean;
}

const RECIPES: Record<OverlaySound, Tone[]> = {
  // Two bell notes, E6 then B6.
  chime: [
    { at: 0, seconds: 0.9, from: 1318.5, gain: 0.45, decay: 4.5, overtone: 0.25 },
    { at: 0.16, seconds: 1.0, from: 1975.5, gain: 0.4, decay: 4, overtone: 0.2 },
  ],
  // The classic coin: a short B5 jumping to E6.
  coin: [
    { at: 0, seconds: 0.08, from: 987.8, gain: 0.25, decay: 2, square: true },
    { at: 0.08, seconds: 0.45, from: 1318.5, gain: 0.25, decay: 7, square: true },
  ],
  // A bubble: a fast downward glide.
  pop: [{ at: 0, seconds: 0.14, from: 900, to: 260, gain: 0.6, decay: 18 }],
  // A rising C major arpeggio that lands on a held C6 chord.
  fanfare: [
    { at: 0, seconds: 0.2, from: 523.3, gain: 0.35, decay: 6, overtone: 0.3 },
    { at: 0.14, seconds: 0.2, from: 659.3, gain: 0.35, decay: 6, overtone: 0.3 },
    { at: 0.28, seconds: 0.2, from: 784.0, gain: 0.35, decay: 6, overtone: 0.3 },
    { at: 0.42, seconds: 0.9, from: 1046.5, gain: 0.35, decay: 2.8, overtone: 0.3 },
    { at: 0.42, seconds: 0.9, from: 784.0, gain: 0.2, decay: 2.8 },
    { at: 0.42, seconds: 0.9, from: 659.3, gain: 0.2, decay: 2.8 },
  ],
};

function render(tones: Tone[]): Float32Array {
  const seconds = Math.max(...tones.map((t) => t.at + t.seconds));
  const out = new Float32Array(Math.ceil(seconds * SAMPLE_RATE));
  const attack = 0.004;
  for (const tone of tones) {
    const start = Math.round(tone.at * SAMPLE_RATE);
    const length = Math.round(tone.seconds * SAMPLE_RATE);
    let phase = 0;
    for (let i = 0; i < length && start + i < out.length; i++) {
      const t = i / SAMPLE_RATE;
      const progress = i / length;
      const frequency = tone.to === undefined ? tone.from : tone.from + (tone.to - tone.from) * progress;
      phase += (2 * Math.PI * frequency) / SAMPLE_RATE;
      const envelope = Math.min(1, t / attack) * Math.exp(-tone.decay * t) * Math.min(1, (length - i) / (0.01 * SAMPLE_RATE));
      let wave = tone.square ? Math.tanh(4 * Math.sin(phase)) * 0.7 : Math.sin(phase);
      if (tone.overtone) wave += tone.overtone * Math.sin(2 * phase);
      out[start + i]! += wave * envelope * tone.gain;
    }
  }
  return out;
}

/** A mono 16-bit PCM WAV file of `samples` (clipped to ±1). */
export function encodeWav(samples: Float32Array, sampleRate = SAMPLE_RATE): Buffer {
  const data = samples.length * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) wav.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32_767), 44 + i * 2);
  return wav;
}

let cache: Map<OverlaySound, Buffer> | undefined;

/** Every bundled sound as a WAV file (synthesized once, on first use). */
export function overlaySoundFiles(): ReadonlyMap<OverlaySound, Buffer> {
  cache ??= new Map(OVERLAY_SOUNDS.map((name) => [name, encodeWav(render(RECIPES[name]))]));
  return cache;
}
