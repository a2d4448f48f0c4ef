// The empty program with the loader as its first act, the way a built entry would carry it: a
// static import and the filter's bytes inline (the same bytes as filter.mjs), installed with TSYNC.
import { installFilterOrExit } from '../../packages/runtime/dist/index.js';

const FILTERS = {
  x64: [32,0,0,0,4,0,0,0,21,0,1,0,62,0,0,192,6,0,0,0,0,0,0,128,32,0,0,0,0,0,0,0,21,0,2,0,83,0,0,0,21,0,1,0,2,1,0,0,6,0,0,0,0,0,255,127,6,0,0,0,1,0,5,0],
  arm64: [32,0,0,0,4,0,0,0,21,0,1,0,183,0,0,192,6,0,0,0,0,0,0,128,32,0,0,0,0,0,0,0,21,0,2,0,34,0,0,0,21,0,1,0,34,0,0,0,6,0,0,0,0,0,255,127,6,0,0,0,1,0,5,0],
};
installFilterOrExit(new Uint8Array(FILTERS[process.arch]), { tsync: true });
