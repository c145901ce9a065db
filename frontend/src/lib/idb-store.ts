/** The outbox's IndexedDB store: one object store keyed by the idempotency key; writes resolve when committed. */
import type { OutboxEntry, OutboxStore } from './outbox';

const DB_VERSION = 1;
const STORE = 'outbox';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class IdbStore implements OutboxStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** Open (creating on first use) the lane's database; pass a factory to use another IndexedDB (tests). */
  static async open(name = 'pos-grocery', factory: IDBFactory = indexedDB): Promise<IdbStore> {
    const req = factory.open(name, DB_VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'key' });
    };
    return new IdbStore(await request(req));
  }

  async all(): Promise<OutboxEntry[]> {
    const tx = this.db.transaction(STORE, 'readonly');
    return (await request(tx.objectStore(STORE).getAll())) as OutboxEntry[];
  }

  async put(entry: OutboxEntry): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(entry);
    await committed(tx);
  }

  async delete(key: string): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(key);
    await committed(tx);
  }

  close(): void {
    this.db.close();
  }
}
