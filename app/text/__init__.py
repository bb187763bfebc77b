"""Input to Article: files and URLs, decoding, language, sentences and tokens with character offsets."""
