// login module: public surface (see architecture.md).
export {};
