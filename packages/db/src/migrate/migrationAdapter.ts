import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

interface FieldLike {
  dataTypeID: number;
}

/** PostgreSQL's internal `"char"` type (catalog queries) is already a JS string; call it TEXT. */
function mapCharFields<T>(result: T): T {
  const fields = (result as { fields?: FieldLike[] } | undefined)?.fields;
  if (Array.isArray(fields)) for (const field of fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  return result;
}

function patchQuery(target: { query: (...args: never[]) => unknown }): void {
  const original = target.query.bind(target) as (...args: unknown[]) => unknown;
  (target as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const last = args.at(-1);
    if (typeof last === 'function') {
      const callback = last as (err: unknown, result: unknown) => void;
      return original(...args.slice(0, -1), (err: unknown, result: unknown) => callback(err, mapCharFields(result)));
    }
    const out = original(...args);
    return out instanceof Promise ? out.then(mapCharFields) : out;
  };
}

/** A pg pool whose results never carry the `"char"` OID that the adapter refuses. */
function createPatchedPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pool.on('connect', (client) => patchQuery(client as unknown as { query: (...args: never[]) => unknown }));
  return pool;
}

async function connectAdapter(connectionString: string, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
  const pool = createPatchedPool(connectionString);
  const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
  // The stock adapter splits scripts on ';' (breaking $$ bodies) and runs statements one by one,
  // leaving a failed migration half-applied. One simple-protocol query runs as one transaction.
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await onDispose?.();
  };
  return adapter;
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The driver-adapter factory the WASM schema engine needs: connections to the target database
 * plus throwaway shadow databases that are dropped only after their pool is closed.
 */
export class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@kickcord/migrate-pg';
  private readonly open = new Set<SqlDriverAdapter>();

  constructor(private readonly connectionString: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await connectAdapter(this.connectionString);
    this.track(adapter);
    return adapter;
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const database = `kickcord_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: this.connectionString });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.end();
    }
    const adapter = await connectAdapter(withDatabase(this.connectionString, database), async () => {
      const dropper = new pg.Client({ connectionString: this.connectionString });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    });
    this.track(adapter);
    return adapter;
  }

  /** `engine.free()` does not close pools; this does. */
  async closeAll(): Promise<void> {
    const adapters = [...this.open];
    await Promise.allSettled(adapters.map((a) => a.dispose()));
  }

  private track(adapter: SqlDriverAdapter): void {
    this.open.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (!this.open.delete(adapter)) return; // already disposed
      await dispose();
    };
  }
}
