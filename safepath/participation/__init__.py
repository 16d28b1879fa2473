"""Children's participation beyond the single case: consultations, feedback, information."""
