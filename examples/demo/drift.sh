# Sourced by tools/demo.sh: out-of-band changes that `terraform plan` must show.
echo "- the Contoso organization's description is edited in VB365"
fake_admin PATCH "/_fake/organizations?id=6f144e6f-7f59-475f-8e1d-1bfa0b6bb020" '{"description":"edited by hand"}'
