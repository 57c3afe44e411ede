import { resolveJobSpec, type JobSpecInput } from '../../lib/engine/job-spec.js';

const IN_CODE = { numbersAreMs: true, requireInitialDelay: true };

/** The resolver reads a spec's own fields only: what a prototype (or a class) holds is not config. */
describe('resolveJobSpec reads own properties only', () => {
  it('ignores schedule and policy fields inherited from a prototype', () => {
    const inherited = { frequency: '1s', retries: 'many', cron: 'bad', timeZone: 'Mars/Base' };
    const input = Object.assign(Object.create(inherited), { initialDelay: 'boot' }) as JobSpecInput;
    const { trigger, policy, issues } = resolveJobSpec(input, IN_CODE);
    expect(issues).toEqual([]);
    expect(trigger).toEqual({ kind: 'once', initialDelayMs: 0 });
    expect(policy?.retries).toBe(0);
  });

  it('still reads the same fields when they are the object’s own', () => {
    const input = { initialDelay: 'boot', frequency: '1s', retries: 2 };
    const { trigger, policy } = resolveJobSpec(input, IN_CODE);
    expect(trigger).toEqual({ kind: 'interval', initialDelayMs: 0, frequencyMs: 1_000 });
    expect(policy?.retries).toBe(2);
  });
});
