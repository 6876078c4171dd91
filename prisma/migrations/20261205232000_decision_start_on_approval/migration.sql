-- The proposer may ask for the rollback to start on approval ("Approve and start").
ALTER TABLE "Decision" ADD COLUMN "startOnApproval" BOOLEAN NOT NULL DEFAULT false;
