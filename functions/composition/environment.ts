/** Reads a required environment variable, naming it when missing (a deployment error, not a client one). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}
