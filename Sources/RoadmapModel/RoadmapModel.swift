// RoadmapModel module (to be written).
