/** Everything of @haki/status-list in one import; the subpaths (`./bitstring`, ...) hold the same. */
export * from "./bitstring";
export * from "./encoding";
export * from "./credential";
export * from "./cache";
export * from "./lookup";
export * from "./errors";
export * from "./token";
export * from "./token-from-bitstrings";
