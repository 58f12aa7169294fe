// `node --import ./bin/ts-register.js FILE.ts`: registers zsim's TypeScript hooks (ts-hooks.js).
import { register } from 'node:module';

register('./ts-hooks.js', import.meta.url);
process.setSourceMapsEnabled(true);
