/** The shapes `zsim twister` passes around: platforms, test suites, instances and their results. */
import type { TestScenario } from '../build/sample_meta.ts';

/** twister's statuses (`twisterlib/statuses.py`); `not run` is a build-only configuration. */
export type TwisterStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'filtered' | 'not run';

/** A board as twister sees it: the board plus its `testing:` section. */
export interface Platform {
  /** The board target, as Zephyr 4.x twister names platforms: `qemu_x86/atom`, `qemu_x86/atom/nopae`. */
  name: string;
  /** `name` with `/` as `_` (`qemu_x86_atom`): the platform's folder under twister-out. */
  normalizedName: string;
  /** Other names `-p`, platform_allow, platform_exclude and integration_platforms may use: the plain board name for its default target. */
  aliases: string[];
  arch: string;
  ram: number;
  /** twister's `supported:` features (with `netif` for `netif:eth`). */
  features: Set<string>;
  supported: string[];
  /**
   * `testing.default: true`: run when no `-p` is given and a scenario names no platforms. From the
   * board's yaml for its default target; another target is a default platform only if its own
   * `<board>_<qualifiers>.yaml` says so.
   */
  default: boolean;
  /** `testing.ignore_tags`: scenarios with one of these tags are filtered on this platform. */
  ignoreTags: string[];
}

/** One test scenario of one `sample.yaml`/`testcase.yaml` (twister's "test suite"). */
export interface Suite {
  /** The scenario name, e.g. `sample.basic.helloworld` (twister's testsuite name). */
  name: string;
  /** The app folder, absolute. */
  appDir: string;
  /** The app folder relative to the repository root (twister's `path`). */
  relPath: string;
  scenario: TestScenario;
}

/** A suite on a platform (twister's "test instance"). */
export interface Instance {
  suite: Suite;
  platform: Platform;
  /** Set when the instance is filtered before building. */
  status?: TwisterStatus;
  reason?: string;
  buildDir: string;
}

/** What a worker is asked to do for one instance. */
export interface Job {
  app: string;
  /** The board target (the platform's name). */
  board: string;
  /** The platform's aliases, which `platform:NAME:` prefixes of extra_args may also use. */
  boardAliases?: string[];
  buildDir: string;
  scenario: TestScenario;
  /** Seed of the board's random stream and of the simulated network. */
  seed: number;
}

/** One test case of a result (twister's `testcases[]`). */
export interface CaseResult {
  identifier: string;
  status: TwisterStatus;
  /** Seconds. */
  execution_time: number;
  reason?: string;
}

/** What a worker reports for one instance. */
export interface JobResult {
  status: TwisterStatus;
  reason?: string;
  /** Seconds of wall-clock time for the build and for the run. */
  build_time: number;
  execution_time: number;
  /** Simulated seconds the run lasted. */
  sim_time?: number;
  testcases: CaseResult[];
  /** What the build ignored (extra_args without a zsim equivalent...), printed as INFO lines. */
  notes: string[];
}

/** An instance with its outcome. */
export interface InstanceResult extends JobResult {
  instance: Instance;
  run_id: string;
}
