// jest project "postgres": every backend a test starts keeps its store in a PostgreSQL database of its
// own in the run's throwaway cluster (test/postgres/database.ts), so the API and browser suites run
// against both stores.
process.env.JA_TEST_DATABASE = "postgres";
