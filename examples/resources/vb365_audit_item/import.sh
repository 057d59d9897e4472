# A user's audit item: <organization_id>/user/<user_id>
terraform import vb365_audit_item.ceo 6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/user/a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000

# A group's audit item: <organization_id>/group/<group_id>
terraform import vb365_audit_item.hr 6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/group/16f8226c-9531-4ed2-9b87-856f7c76a42600000000-0000-0000-0000-000000000000
