"""Groups acting linearly and their representations: finite matrix groups and compact groups behind one protocol."""
