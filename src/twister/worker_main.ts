/**
 * Child-process entry of `zsim twister` (see `worker.ts`): `node --import bin/ts-register.js worker_main.ts JOB`
 * reads the job (JSON), runs it and writes the result beside it as `twister_result.json`. The file,
 * written synchronously before exiting, is the whole protocol: it works even when the app leaves
 * threads spinning after its harness stopped the run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runJob } from './worker.ts';
import type { Job } from './types.ts';

const jobFile = process.argv[2];
if (!jobFile) {
  process.stderr.write('usage: worker_main.ts JOB.json\n');
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobFile, 'utf8')) as Job;
const result = await runJob(job);
writeFileSync(path.join(path.dirname(jobFile), 'twister_result.json'), JSON.stringify(result, null, 2) + '\n');
process.exit(0);
