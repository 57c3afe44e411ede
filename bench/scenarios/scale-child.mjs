/** Child process of the scale scenario: `node --expose-gc scale-child.mjs <contender> <N> [options-json]`. */
import { contenderById } from '../contenders/index.mjs';
import { measureScale } from './scale.mjs';

const [id, n, options] = process.argv.slice(2);
const result = await measureScale(contenderById(id), Number(n), options ? JSON.parse(options) : {});
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
