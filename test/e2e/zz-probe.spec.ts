import { jest } from '@jest/globals';
describe('probe', () => {
  it('sees unhandled rejection', async () => {
    const real = (setTimeout as any).constructor('return process')() as NodeJS.Process;
    console.log('real differs', real !== process, typeof real?.on);
    const spy = jest.fn();
    real.on('unhandledRejection', spy);
    Promise.reject(new Error('x'));
    await new Promise((r) => setTimeout(r, 20));
    real.off('unhandledRejection', spy);
    console.log('calls', spy.mock.calls.length);
  });
});
