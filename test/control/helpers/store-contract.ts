import { expect, it } from '@jest/globals';
import type {
  ControlStore,
  StoredAudit,
  StoredStamp,
} from '../../../lib/control/control-store.interface.js';

const stamp = (by: string): StoredStamp => ({ by, reason: 'r', at: Date.now(), replica: 'test' });
const entry = (name: string, action: StoredAudit['action'], by = 'ops'): StoredAudit => ({
  ...stamp(by),
  name,
  action,
  change: {},
});

const waitFor = async (probe: () => boolean, ms: number): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms}ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * What every shared control store does: `make(scope, auditLimit)` opens a store on its own
 * scope; two stores of one scope are two replicas.
 */
export function controlStoreContract(
  make: (scope: string, auditLimit?: number) => ControlStore,
): void {
  const opened: ControlStore[] = [];
  const open = async (scope: string, auditLimit?: number): Promise<ControlStore> => {
    const store = make(scope, auditLimit);
    opened.push(store);
    await store.open();
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('stores definitions and pauses, reads them back whole, removes them', async () => {
    const scope = `c${Date.now()}a`;
    const a = await open(scope);
    const b = await open(scope);
    const definition = { handler: { class: 'Probe', params: { n: 1 } }, initial_delay: '1s' };
    await a.commit(
      { kind: 'definition', name: 'x', value: { ...stamp('ops'), definition } },
      entry('x', 'upsert'),
    );
    await a.commit({ kind: 'pause', name: 'x', value: stamp('alice') }, entry('x', 'pause'));
    const seen = await b.load();
    expect(seen.definitions.x.definition).toEqual(definition);
    expect(seen.pauses.x.by).toBe('alice');
    await b.commit({ kind: 'pause', name: 'x', value: null }, entry('x', 'resume'));
    await b.commit({ kind: 'definition', name: 'x', value: null }, entry('x', 'remove'));
    expect(await a.load()).toEqual({ definitions: {}, pauses: {} });
    // Another scope sees none of it.
    expect((await (await open(`${scope}other`)).audit(undefined, undefined)).length).toBe(0);
  });

  it('keeps the newest audit entries up to the limit, filtered by name', async () => {
    const scope = `c${Date.now()}b`;
    const store = await open(scope, 5);
    for (let i = 0; i < 8; i++) {
      await store.commit({ kind: 'none' }, entry(i % 2 ? 'odd' : 'even', 'trigger', `u${i}`));
    }
    const all = await store.audit(undefined, undefined);
    expect(all.map((e) => e.by)).toEqual(['u7', 'u6', 'u5', 'u4', 'u3']);
    expect((await store.audit('odd', 2)).map((e) => e.by)).toEqual(['u7', 'u5']);
  });

  it('tells the other replicas of a change once it is stored', async () => {
    const scope = `c${Date.now()}c`;
    const a = await open(scope);
    const b = await open(scope);
    const other = await open(`${scope}other`);
    let heard = 0;
    let heardOther = 0;
    await b.watch(() => heard++);
    await other.watch(() => heardOther++);
    await a.commit({ kind: 'pause', name: 'x', value: stamp('a') }, entry('x', 'pause'));
    await waitFor(() => heard > 0, 2_000);
    expect((await b.load()).pauses.x.by).toBe('a');
    // A trigger changes no state: nobody is told.
    const before = heard;
    await a.commit({ kind: 'none' }, entry('x', 'trigger'));
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toBe(before);
    expect(heardOther).toBe(0);
  });
}
