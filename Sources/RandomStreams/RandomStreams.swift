// RandomStreams module (to be written).
