-- Instances are found by part of their name (filter[where][name][like|ilike], the console's
-- search): a trigram index serves LIKE and ILIKE '%…%', which a b-tree cannot. pg_trgm is a
-- trusted extension (PostgreSQL 13+): the database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "service_instance_name_trgm_idx" ON "service_instance" USING GIN ("name" gin_trgm_ops);
