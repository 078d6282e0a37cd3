"""The Google service accounts that pull images and run the Cloud SQL proxy."""
