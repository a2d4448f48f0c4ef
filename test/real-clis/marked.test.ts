/** marked from npm, built with the plugin by each bundler of the suite, on Node 22, 24 and 26 (see suite.ts). */
import { CLIS } from './clis.ts';
import { describeCli } from './suite.ts';

describeCli(CLIS.find((cli) => cli.name === 'marked')!);
