// Configuration: the only reader of process.env. One schema, every problem reported at once, a frozen result that
// is passed in (never imported as a global).
export {};
