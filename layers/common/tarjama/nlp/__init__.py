"""tarjama.nlp."""
