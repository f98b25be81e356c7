-- DropIndex
DROP INDEX "ViewerStats_guildId_activeMinutes_idx";

-- DropIndex
DROP INDEX "ViewerStats_guildId_points_idx";

-- The watchtime tick updates points, activeMinutes and lastActiveAt of every paid viewer. With no index on
-- those columns the updates are HOT (heap-only: no index writes) when the page has room for the new row
-- version; leave 20% of each page free for that. Applies to pages written from now on (VACUUM FULL to
-- repack existing ones).
ALTER TABLE "ViewerStats" SET (fillfactor = 80);
