// The PostgreSQL variant of the one schema: same models, only the provider and the client's output differ.
export function postgresSchema(text) {
  return text
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace('"../backend/src/db/generated/sqlite"', '"../../backend/src/db/generated/postgresql"');
}
