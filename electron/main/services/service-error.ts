/** A refusal the UI or CLI shows as it is (bad input, unknown name); never a crash. */
export class ServiceError extends Error {}
