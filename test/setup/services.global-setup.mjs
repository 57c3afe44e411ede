// Runs once before the `services` project: one clear line per missing server, instead of a
// wall of connection errors from every test.
import { createConnection } from 'node:net';

const SERVICES = [
  {
    name: 'Redis',
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    install: 'redis-server',
  },
  {
    name: 'PostgreSQL',
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    install: 'postgresql',
  },
];

function answers(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export default async function servicesGlobalSetup() {
  const missing = [];
  for (const service of SERVICES) {
    if (!(await answers(service.url))) {
      missing.push(
        `${service.name} is not answering at ${service.url}: run scripts/services.sh to start it ` +
          `(install it first with: apt-get install ${service.install})`,
      );
    }
  }
  if (missing.length) throw new Error(missing.join('\n'));
}
