// The filter both install variants use, as the plugin would embed it: literal bytes per arch.
// ld arch; jeq AUDIT_ARCH ? next : KILL_PROCESS; ld nr; jeq mkdir / mkdirat ? ERRNO(EPERM) : ALLOW
export const FILTERS = {
  x64: [32,0,0,0,4,0,0,0,21,0,1,0,62,0,0,192,6,0,0,0,0,0,0,128,32,0,0,0,0,0,0,0,21,0,2,0,83,0,0,0,21,0,1,0,2,1,0,0,6,0,0,0,0,0,255,127,6,0,0,0,1,0,5,0],
  arm64: [32,0,0,0,4,0,0,0,21,0,1,0,183,0,0,192,6,0,0,0,0,0,0,128,32,0,0,0,0,0,0,0,21,0,2,0,34,0,0,0,21,0,1,0,34,0,0,0,6,0,0,0,0,0,255,127,6,0,0,0,1,0,5,0],
};
