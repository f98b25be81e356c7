import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Queue states reported by `kickcord_queue_depth`. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'waiting-children'] as const;

/** A scrape never waits longer than this for queue counts (Redis may be down). */
const QUEUE_DEPTH_TIMEOUT_MS = 1_000;

/** Where `kickcord_queue_depth` reads its numbers from on each scrape. */
export type QueueDepthSource = () => Promise<Record<string, number>>;

/** apps/web's Prometheus metrics, on a registry of its own (several servers may live in one process in tests). */
export class WebMetrics {
  readonly registry = new Registry();
  readonly deliveries: Counter<'type' | 'outcome'>;
  readonly verificationFailures: Counter<'reason'>;
  readonly enqueueSeconds: Histogram;
  readonly queueDepth: Gauge<'state'>;
  readonly pendingBodies: Gauge;
  readonly pendingBodyBytes: Gauge;
  #pending: (() => { bodies: number; bytes: number }) | undefined;

  constructor(queueDepth?: QueueDepthSource) {
    collectDefaultMetrics({ register: this.registry });
    this.deliveries = new Counter({
      name: 'kickcord_webhook_deliveries_total',
      help: 'Kick webhook deliveries by event type and outcome (enqueued, duplicate, quarantined, rejected, payload_too_large, unsupported_media_type, body_timeout, overloaded, queue_unavailable)',
      labelNames: ['type', 'outcome'],
      registers: [this.registry],
    });
    this.verificationFailures = new Counter({
      name: 'kickcord_webhook_verification_failures_total',
      help: 'Kick webhook deliveries refused by signature/header/timestamp verification, by reason',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.enqueueSeconds = new Histogram({
      name: 'kickcord_webhook_enqueue_seconds',
      help: 'Time to durably enqueue a verified delivery (dedupe check + BullMQ add)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    const pending = () => this.#pending?.() ?? { bodies: 0, bytes: 0 };
    this.pendingBodies = new Gauge({
      name: 'kickcord_webhook_pending_bodies',
      help: 'Webhook bodies being read (headers in, body not yet complete)',
      registers: [this.registry],
      collect() {
        this.set(pending().bodies);
      },
    });
    this.pendingBodyBytes = new Gauge({
      name: 'kickcord_webhook_pending_body_bytes',
      help: 'Bytes buffered by webhook bodies not yet complete',
      registers: [this.registry],
      collect() {
        this.set(pending().bytes);
      },
    });
    this.queueDepth = new Gauge({
      name: 'kickcord_queue_depth',
      help: 'Jobs in the kick-events queue by state (read on scrape)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        if (!queueDepth) return;
        let timer: NodeJS.Timeout | undefined;
        try {
          const counts = await Promise.race([
            queueDepth(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error('queue depth timed out')), QUEUE_DEPTH_TIMEOUT_MS);
            }),
          ]);
          for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
        } catch {
          // Redis down: leave the last values; /readyz reports the outage.
        } finally {
          clearTimeout(timer);
        }
      },
    });
  }

  /** Where the pending-body gauges read from on each scrape (the webhook handler's counts). */
  observePendingBodies(source: () => { bodies: number; bytes: number }): void {
    this.#pending = source;
  }
}
