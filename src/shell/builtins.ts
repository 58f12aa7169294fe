/**
 * Loads the built-in command modules; each registers an installer that adds its commands to a
 * board whose configuration enables them (Zephyr links them in by Kconfig).
 */
import './builtin_shell.ts';
import './builtin_kernel.ts';
import './builtin_log.ts';
import './builtin_net.ts';
import './cred_shell.ts';
