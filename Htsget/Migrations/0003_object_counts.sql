-- The reference and block counts an operator sees for an object, stored with it so that looking an object up (once
-- per ticket and per data URL) never counts its blocks.
ALTER TABLE htsget.objects ADD COLUMN reference_count INTEGER DEFAULT 0;
ALTER TABLE htsget.objects ADD COLUMN block_count BIGINT DEFAULT 0;
UPDATE htsget.objects o SET
    reference_count = (SELECT count(*) FROM htsget.references r WHERE r.object_id = o.object_id),
    block_count = (SELECT count(*) FROM htsget.blocks b WHERE b.object_id = o.object_id);
