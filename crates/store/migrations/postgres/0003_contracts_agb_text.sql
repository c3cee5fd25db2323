-- Nothing to do: the PostgreSQL schema has kept AGB codes as 8-digit text from its first version.
SELECT 1;
