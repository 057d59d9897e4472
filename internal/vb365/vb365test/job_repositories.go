package vb365test

import "strings"

// The repositories a backup job may name, as far as jobs need them: an ID
// to check repositoryId against, and a name. This is a seed and a lookup
// only, kept apart from the jobs so that the fake's repositories
// (/BackupRepositories) can take its place: checkJob asks
// jobRepositoryKnown and nothing else.

// JobRepository is a repository jobs may write to.
type JobRepository struct {
	ID, Name string
}

// DemoRepositoryID is the repository SeedJobRepository adds.
const DemoRepositoryID = "a740fb93-4de8-4de4-977e-765dd092748f"

// AddJobRepository stores a repository (ID generated when empty).
func (s *Server) AddJobRepository(r JobRepository) JobRepository {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.ID == "" {
		r.ID = GUID("repository", s.nextID())
	}
	rr := r
	s.jobRepos = append(s.jobRepos, &rr)
	return rr
}

// SeedJobRepository adds the demo's repository, "Default Backup
// Repository".
func (s *Server) SeedJobRepository() JobRepository {
	return s.AddJobRepository(JobRepository{ID: DemoRepositoryID, Name: "Default Backup Repository"})
}

// jobRepositoryKnown reports whether a repository exists. Callers hold s.mu.
func (s *Server) jobRepositoryKnown(id string) bool {
	for _, r := range s.jobRepos {
		if strings.EqualFold(r.ID, id) {
			return true
		}
	}
	return false
}
