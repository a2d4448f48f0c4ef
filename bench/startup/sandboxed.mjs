// The same program, sandboxed with the baseline only (the common case for the cost of start-up).
import { sandbox } from '@syscage/runtime';
sandbox({});
