// jest project "sqlite": every backend a test starts keeps its store in SQLite (test/postgres/database.ts).
process.env.JA_TEST_DATABASE = "sqlite";
